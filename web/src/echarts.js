// Apache ECharts, only the parts the dashboards draw, drawn as SVG (crisp
// when printed, and its text is searchable).  Loaded on the first chart, so
// the screens branch staff use all day do not carry it.
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, SankeyChart } from 'echarts/charts';
import {
  GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, FunnelChart, HeatmapChart, LineChart, SankeyChart, GridComponent, LegendComponent,
  MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export function init(el) {
  return echarts.init(el, null, { renderer: 'svg' });
}
