/**
 * The area memory map of the HTML report: one SVG grid per area, one cell per pageblock,
 * coloured by PAGEBLOCK_CODES state, and a range slider that switches between the run's map
 * frames. The page is rendered at the first frame, so it reads without script too.
 */
import { escapeHtml } from '../text/escape.ts';
import { PAGEBLOCK_CODES, type PageblockState, type RunData } from './runData.ts';
import { fmtNs, hex } from './units.ts';

const COLOURS: Readonly<Record<PageblockState, string>> = {
  free: '#d9f0d3', cache: '#9ecae1', pinned: '#fd8d3c', mixed: '#fdd0a2', allocated: '#cb181d', isolated: '#6a51a3',
};
const LABELS: Readonly<Record<PageblockState, string>> = {
  free: 'free', cache: 'page cache (movable, borrowed)', pinned: 'pinned page inside', mixed: 'partly allocated', allocated: 'allocated by CMA', isolated: 'isolated',
};
const STATES = Object.keys(PAGEBLOCK_CODES) as PageblockState[];

/** CSS class of a code; unknown codes get pb-unknown (grey) rather than breaking the page. */
const CLASS_OF: Readonly<Record<string, string>> = Object.fromEntries(STATES.map((s) => [PAGEBLOCK_CODES[s], `pb-${s}`]));
const classOf = (code: string): string => (Object.hasOwn(CLASS_OF, code) ? CLASS_OF[code] : 'pb-unknown');

export const MAP_CSS = STATES.map((s) => `.pb-${s}{fill:${COLOURS[s]}}`).join('') + '.pb-unknown{fill:#bbb}rect.pb{stroke:#fff;stroke-width:1}' +
  '.map-area{margin:.5em 0}.map-controls{display:flex;gap:1em;align-items:center}#map-slider{width:480px}';

const COLS = 64;
/** Cell size in px: large for small areas, small enough for thousands of pageblocks. */
const cellFor = (n: number): number => (n <= 32 ? 28 : n <= 512 ? 16 : 10);

export interface MapData {
  /** Time label per frame. */
  readonly labels: readonly string[];
  /** frames[k][a]: codes of area a at frame k. */
  readonly frames: readonly (readonly string[])[];
  /** Code -> CSS class. */
  readonly classes: Readonly<Record<string, string>>;
}

export function mapSection(data: RunData): { html: string; data: MapData } {
  const frames = data.maps.map((f) => f.blocks);
  const labels = data.maps.map((f) => `t = ${fmtNs(f.t)}`);
  const first = frames[0] ?? [];
  const legend = STATES.map((s) => `<span class="key"><span class="swatch" style="background:${COLOURS[s]}"></span>${escapeHtml(LABELS[s])}</span>`).join(' ');
  const areas = data.areas.map((a, i) => {
    const codes = first[i] ?? '';
    const n = Math.max(codes.length, Math.ceil(a.pages / Math.max(1, a.pageblockPages)));
    const cols = Math.min(COLS, Math.max(1, n)), rows = Math.ceil(n / cols), CELL = cellFor(n);
    const cells: string[] = [];
    for (let b = 0; b < n; b++) {
      const x = (b % cols) * CELL, y = Math.floor(b / cols) * CELL;
      cells.push(`<rect class="pb ${classOf(codes[b] ?? '')}" x="${x}" y="${y}" width="${CELL}" height="${CELL}"><title>pageblock ${b} @${hex(a.basePfn + b * a.pageblockPages)}</title></rect>`);
    }
    return `<div class="map-area"><div>${escapeHtml(a.name)} (${a.pages} pages from pfn ${hex(a.basePfn)}, ${n} pageblocks)</div>` +
      `<svg class="map" id="map-area-${i}" width="${cols * CELL}" height="${rows * CELL}" viewBox="0 0 ${cols * CELL} ${rows * CELL}">${cells.join('')}</svg></div>`;
  }).join('');
  const controls = frames.length
    ? `<div class="map-controls"><input type="range" id="map-slider" min="0" max="${frames.length - 1}" step="1" value="0" aria-label="map frame"><span id="map-time">${escapeHtml(labels[0])}</span></div>`
    : '<p class="note">No map frames were recorded.</p>';
  return {
    html: `<h2>Memory map</h2><div id="map" data-frame="0">${controls}<div class="legend">${legend}</div>${areas}</div>`,
    data: { labels, frames, classes: CLASS_OF },
  };
}

/** Runs in the page: reads #map-data and recolours the cells when the slider moves. */
export const MAP_SCRIPT = `(function () {
  var slider = document.getElementById('map-slider');
  if (!slider) return;
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var label = document.getElementById('map-time');
  var map = document.getElementById('map');
  function show(k) {
    var blocks = data.frames[k];
    for (var a = 0; a < blocks.length; a++) {
      var svg = document.getElementById('map-area-' + a);
      if (!svg) continue;
      var cells = svg.querySelectorAll('rect.pb');
      for (var i = 0; i < cells.length; i++) {
        var c = blocks[a].charAt(i);
        cells[i].setAttribute('class', 'pb ' + (Object.prototype.hasOwnProperty.call(data.classes, c) ? data.classes[c] : 'pb-unknown'));
      }
    }
    label.textContent = data.labels[k];
    map.setAttribute('data-frame', String(k));
  }
  slider.addEventListener('input', function () { show(Number(slider.value)); });
  show(Number(slider.value));
})();`;
