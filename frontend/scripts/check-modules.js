// Checks the browser modules under static/js (make lint): every import resolves to a file that
// exports the names imported (a browser refuses the whole page otherwise), the import graph
// has no cycle, no module passes MAX_LINES, and the service worker's app shell
// and the map page's modulepreload links list exactly the modules the map page runs, so the
// page still opens offline and fetches its modules in one round.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STATIC = join(FRONTEND, 'static');
const JS = join(STATIC, 'js');
const MAX_LINES = 400;
// The map page's module scripts (base.html and map.html): its module graph is the app shell.
const MAP_PAGE_ENTRIES = ['lib/quick-exit.js', 'pages/map.js'];
// The audit walk page opens offline too: its modules are in the shell as well.
const WALK_PAGE_ENTRIES = ['lib/quick-exit.js', 'pages/audits.js'];
const IMPORT = /^\s*(?:import|export)\s([^;]*?)from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm;
const EXPORT = /^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([\w$]+)|^export\s*\{([^}]*)\}/gm;

const problems = [];
const url = (file) => `/static/${relative(STATIC, file)}`;

function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

function exportsOf(file) {
  const names = new Set();
  for (const match of readFileSync(file, 'utf8').matchAll(EXPORT)) {
    if (match[1]) names.add(match[1]);
    else match[2].split(',').map((part) => part.trim().split(/\s+as\s+/).pop()).filter(Boolean).forEach((n) => names.add(n));
  }
  return names;
}

/** The names in `{ a, b as c }` of an import clause, as the imported module calls them. */
function namedImports(clause) {
  const braces = clause.match(/\{([^}]*)\}/);
  if (!braces) return [];
  return braces[1].split(',').map((part) => part.trim().split(/\s+as\s+/)[0]).filter(Boolean);
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[2] || match[3];
    if (!spec.startsWith('.')) {
      problems.push(`${url(file)}: import '${spec}' is not a relative path (no build step, no bare names)`);
      continue;
    }
    const target = resolve(dirname(file), spec);
    if (!existsSync(target)) {
      problems.push(`${url(file)}: import '${spec}' does not exist`);
      continue;
    }
    const exported = exportsOf(target);
    for (const name of namedImports(match[1] || '')) {
      if (!exported.has(name)) problems.push(`${url(file)}: '${spec}' exports no '${name}'`);
    }
    found.push(target);
  }
  return found;
}

const graph = new Map(modules(JS).map((file) => [file, importsOf(file)]));

for (const file of graph.keys()) {
  const lines = readFileSync(file, 'utf8').split('\n').length - 1;
  if (lines > MAX_LINES) problems.push(`${url(file)}: ${lines} lines (split it by use case; at most ${MAX_LINES})`);
}

// Cycles: depth-first search, reporting the first cycle found from each module.
const state = new Map(); // file -> 'open' | 'done'
function visit(file, trail) {
  if (state.get(file) === 'done') return;
  if (state.get(file) === 'open') {
    const cycle = trail.slice(trail.indexOf(file)).concat(file).map(url);
    problems.push(`import cycle: ${cycle.join(' -> ')}`);
    return;
  }
  state.set(file, 'open');
  for (const next of graph.get(file) || []) visit(next, trail.concat(file));
  state.set(file, 'done');
}
for (const file of graph.keys()) visit(file, []);

function reachable(entries) {
  const seen = new Set();
  const stack = entries.map((entry) => join(JS, entry));
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(graph.get(file) || []));
  }
  return new Set([...seen].map(url));
}

function compare(what, listed, wanted) {
  for (const path of wanted) if (!listed.has(path)) problems.push(`${what} misses ${path}`);
  for (const path of listed) if (!wanted.has(path)) problems.push(`${what} lists ${path}, which no page it serves runs`);
}

const mapModules = reachable(MAP_PAGE_ENTRIES);
const sw = readFileSync(join(STATIC, 'sw.js'), 'utf8');
const shell = new Set([...sw.matchAll(/'(\/static\/js\/[^']+)'/g)].map((m) => m[1]));
compare('static/sw.js SHELL', shell, new Set([...mapModules, ...reachable(WALK_PAGE_ENTRIES)]));

const mapTemplate = readFileSync(join(FRONTEND, 'templates', 'map.html'), 'utf8');
const preloaded = new Set([...mapTemplate.matchAll(/'(\/static\/js\/[^']+)'/g)].map((m) => m[1]));
const entries = new Set(MAP_PAGE_ENTRIES.map((entry) => `/static/js/${entry}`));
compare('templates/map.html modulepreload', preloaded, new Set([...mapModules].filter((p) => !entries.has(p))));

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${graph.size} modules: imports resolve, no cycle, none over ${MAX_LINES} lines; the app shell and the map page's preloads match its ${mapModules.size} modules.`);
