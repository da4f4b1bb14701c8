import { formatValue } from './report.js';
import type { ChartData } from './suite.js';

const BAR_AREA = 380;
const VALUE_WIDTH = 90;
/** Roughly the width of one character of the 12 px label font. */
const CHARACTER_WIDTH = 7;
const BAR_HEIGHT = 22;
const GAP = 10;
const TOP = 44;
const BOTTOM = 28;

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * A horizontal bar chart as plain SVG text: one bar per row, prompt-cache's highlighted, each bar labelled
 * with its formatted value. No chart library: the page embeds the file as an image.
 */
export function barChartSvg(chart: ChartData, caption: string): string {
  const bars = chart.bars.filter((bar) => Number.isFinite(bar.value));
  const LABEL_WIDTH = Math.max(160, ...bars.map((bar) => bar.label.length * CHARACTER_WIDTH + 24));
  const WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH + 20;
  const height = TOP + bars.length * (BAR_HEIGHT + GAP) + BOTTOM;
  const largest = Math.max(...bars.map((bar) => bar.value), 1);
  const scale = BAR_AREA / largest;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-family="system-ui, sans-serif" font-size="15" font-weight="600" fill="#1f2328">${escapeXml(chart.title)}</text>`,
  ];
  bars.forEach((bar, index) => {
    const y = TOP + index * (BAR_HEIGHT + GAP);
    const width = Math.max(1, bar.value * scale);
    const color = bar.highlight ? '#0969da' : '#8c959f';
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT * 0.7}" text-anchor="end" font-family="system-ui, sans-serif" font-size="12" fill="#1f2328"${bar.highlight ? ' font-weight="600"' : ''}>${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${color}"/>`,
      `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + BAR_HEIGHT * 0.7}" font-family="system-ui, sans-serif" font-size="12" fill="#1f2328">${escapeXml(formatValue(bar.value, chart.unit))}</text>`,
    );
  });
  parts.push(
    `<text x="12" y="${height - 10}" font-family="system-ui, sans-serif" font-size="11" fill="#57606a">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  );
  return parts.join('\n');
}
