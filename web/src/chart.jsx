// <Chart option={...}/>: one ECharts chart, redrawn when the option changes,
// resized with the window, disposed when the screen goes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n.js';

let echarts = null; // the library, loaded with the first chart

/** Start loading the library now (a screen of charts, before its data comes): the two at once. */
export function loadCharts() {
  echarts ||= import('./echarts.js');
  echarts.catch(() => { /* said by the chart that waits for it */ });
}

// onPick(params), when given: a click on a bar, a cell or a slice (ECharts' click event), for a drill-down.
export function Chart({ option, test, height = 360, onPick = null }) {
  const el = useRef(null);
  const inst = useRef(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [error, setError] = useState(null);
  useEffect(() => {
    let gone = false;
    (echarts ||= import('./echarts.js')).then((m) => {
      if (gone || !el.current) return;
      if (!inst.current) {
        inst.current = m.init(el.current);
        inst.current.on('click', (p) => pick.current && pick.current(p));
      }
      inst.current.setOption(option, true);
      el.current.dataset.ready = '1';
    }, (e) => setError(String(e.message || e)));
    return () => { gone = true; };
  }, [option]);
  useEffect(() => {
    // never to no size (a window of 1x1, as a full-page screenshot passes through): the Sankey's layout throws
    const f = () => el.current?.clientWidth && el.current.clientHeight && inst.current?.resize();
    addEventListener('resize', f);
    return () => {
      removeEventListener('resize', f);
      inst.current?.dispose();
      inst.current = null;
    };
  }, []);
  if (error) return <p class="error" role="alert">{t('error', { msg: error })}</p>;
  return <div class="chart" data-test={test} ref={el} style={{ height: `${height}px` }} />;
}
