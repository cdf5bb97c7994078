// Charts as PNG, server-side: a Vega-Lite spec (slack/views builds it) compiled to Vega, rendered to SVG headless,
// and rasterised by resvg (an npm package with prebuilt binaries: nothing is downloaded at install). A rasteriser
// draws no text without fonts and the slim image has none, so the font the chart names ships with the bot (the
// dejavu-fonts-ttf package) and is handed to resvg; system fonts are never read, so the picture is the same
// everywhere.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const CHART_FONT = 'DejaVu Sans';
const FONT_FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'].map((f) => createRequire(import.meta.url).resolve(f));

/** The PNG of a Vega-Lite spec, `width` pixels wide (twice the spec's size, for sharp text in Slack). */
export async function renderChart(spec: TopLevelSpec, width = 1600): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: CHART_FONT },
      fitTo: { mode: 'width', value: width },
      background: 'white',
    }).render();
    return png.asPng();
  } finally {
    view.finalize();
  }
}
