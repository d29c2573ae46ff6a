// Apache ECharts, only the parts the dashboards draw, drawn as SVG (crisp
// when printed, and its text is searchable).  Loaded on the first chart, so
// the screens branch staff use all day do not carry it.
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, SankeyChart } from 'echarts/charts';
// (no legend or title: the page says what a chart shows; the continuous colour scale alone)
import { GridComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, FunnelChart, HeatmapChart, LineChart, SankeyChart, GridComponent, MarkLineComponent,
  TooltipComponent, VisualMapContinuousComponent, SVGRenderer]);

export function init(el) {
  return echarts.init(el, null, { renderer: 'svg' });
}
