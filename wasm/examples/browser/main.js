// The browser example: Code Mesh's wasm API (./pkg, made by npm/build.sh)
// on an in-memory sample project, talking to an OpenAI-compatible server.
import init, * as codeMesh from './pkg/code_mesh.js';
import { SAMPLE_PROJECT } from './sample-project.js';
import {
  Transcript,
  renderDiff,
  renderFiles,
  showApproval,
  statusLetter,
  toolSubject,
} from './view.js';

/** The exports of the wasm API this page uses (see /work/wasm-contract.md). */
const NEEDED = [
  'initProject',
  'sendMessage',
  'approve',
  'reject',
  'applyChanges',
  'rejectChanges',
  'listFiles',
  'readFile',
  'stagedDiff',
];

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  version: $('version'),
  settings: $('settings'),
  baseUrl: $('base-url'),
  model: $('model'),
  apiKey: $('api-key'),
  files: $('files'),
  fileTitle: $('file-title'),
  fileView: $('file-view'),
  transcript: new Transcript($('transcript')),
  approvals: $('approvals'),
  chat: $('chat'),
  prompt: $('prompt'),
  send: $('send'),
  diffSummary: $('diff-summary'),
  diff: $('diff'),
  apply: $('apply'),
  reject: $('reject'),
};

/** The project's files as last applied: what a new initProject starts from. */
let applied = { ...SAMPLE_PROJECT };
/** Staged files by path, to their letter (A, M, D). */
let staged = new Map();
/** The file shown in the viewer. */
let openPath = 'src/greet.js';
let busy = false;

/** `?endpoint=` and `?model=` fill the settings, else a local Ollama's. */
function defaultSettings() {
  const query = new URLSearchParams(location.search);
  ui.baseUrl.value = query.get('endpoint') ?? 'http://127.0.0.1:11434/v1';
  ui.model.value = query.get('model') ?? 'ollama/qwen2.5-coder:7b';
}

function setStatus(text, state) {
  ui.status.textContent = text;
  document.body.dataset.state = state;
}

function setBusy(value) {
  busy = value;
  ui.send.disabled = value;
  ui.settings.querySelector('button').disabled = value;
  updateDiffButtons();
}

function updateDiffButtons() {
  const nothing = staged.size === 0;
  ui.apply.disabled = busy || nothing;
  ui.reject.disabled = busy || nothing;
}

/** (Re)opens the project from the applied files with the form's settings. */
async function openProject() {
  const options = { model: ui.model.value.trim(), baseUrl: ui.baseUrl.value.trim() };
  const apiKey = ui.apiKey.value.trim();
  if (apiKey !== '') options.apiKey = apiKey;
  const info = await codeMesh.initProject({ ...applied }, options);
  staged = new Map();
  refresh();
  setStatus(`Ready: ${info.model} at ${options.baseUrl}, ${info.files.length} files in memory.`, 'ready');
}

/** Redraws the files, the open file and the staged diff from the module. */
function refresh() {
  const diff = codeMesh.stagedDiff();
  renderDiff(ui.diff, diff);
  ui.diffSummary.textContent =
    staged.size === 0
      ? 'Nothing staged.'
      : [...staged].map(([path, letter]) => `${letter} ${path}`).join('   ');
  renderFiles(ui.files, codeMesh.listFiles(), staged, openPath, openFile);
  showFile(openPath);
  updateDiffButtons();
}

function openFile(path) {
  openPath = path;
  refresh();
}

function showFile(path) {
  const text = codeMesh.readFile(path);
  ui.fileTitle.textContent = text === undefined ? '' : `${path}${staged.has(path) ? ' (staged)' : ''}`;
  ui.fileView.textContent = text ?? '';
}

/** Sends one message and shows the turn's events as they come. */
async function send(text) {
  setBusy(true);
  setStatus('Working…', 'busy');
  ui.transcript.user(text);
  const reply = ui.transcript.reply();
  try {
    const result = await codeMesh.sendMessage(text, (event) => onEvent(event, reply));
    if (!reply.hasText() && result.answer) reply.setText(result.answer);
    staged = new Map(result.changes.map((file) => [file.path, statusLetter(file.status)]));
    setStatus('Ready.', 'ready');
  } catch (error) {
    reply.error(messageOf(error));
    setStatus('The last message failed; see the chat.', 'ready');
  } finally {
    setBusy(false);
    refresh();
  }
}

/** One protocol event of a turn (`code-mesh run --format json`'s lines). */
function onEvent(event, reply) {
  switch (event.type) {
    case 'agent_message_delta':
      reply.append(event.delta);
      break;
    case 'tool_call_begin':
      reply.toolBegin(event.call_id, event.tool, toolSubject(event.arguments));
      break;
    case 'tool_call_end':
      reply.toolEnd(event.call_id, event.tool, event.title, event.is_error);
      break;
    case 'change_staged':
      staged.set(event.path, staged.get(event.path) ?? 'M');
      break;
    case 'approval_requested':
      showApproval(ui.approvals, event, (allowed) => answerApproval(event.id, allowed, reply));
      break;
    case 'task_failed':
      reply.error(`task failed: ${event.reason}`);
      break;
    case 'error':
      reply.error(event.message);
      break;
    case 'turn_complete':
      if (event.status !== 'completed' && event.error) reply.error(event.error);
      break;
    default:
      break;
  }
}

function answerApproval(id, allowed, reply) {
  try {
    if (allowed) codeMesh.approve(String(id));
    else codeMesh.reject(String(id));
    reply.note(allowed ? 'allowed once' : 'denied');
  } catch (error) {
    reply.note(messageOf(error), 'error');
  }
}

async function applyStaged() {
  setBusy(true);
  try {
    const files = await codeMesh.applyChanges();
    for (const file of files) {
      if (file.status === 'deleted') delete applied[file.path];
      else applied[file.path] = codeMesh.readFile(file.path) ?? '';
    }
    staged = new Map();
    ui.transcript.note(`Applied: ${files.map((file) => file.path).join(', ')}`);
  } catch (error) {
    ui.transcript.note(messageOf(error), 'error');
  } finally {
    setBusy(false);
    refresh();
  }
}

async function rejectStaged() {
  setBusy(true);
  try {
    await codeMesh.rejectChanges();
    staged = new Map();
    ui.transcript.note('Rejected the staged changes.');
  } catch (error) {
    ui.transcript.note(messageOf(error), 'error');
  } finally {
    setBusy(false);
    refresh();
  }
}

function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

async function start() {
  defaultSettings();
  try {
    await init();
  } catch (error) {
    setStatus(`The WebAssembly module did not load (${messageOf(error)}). Build it with \`bash npm/build.sh\`.`, 'error');
    return;
  }
  ui.version.textContent = `v${codeMesh.version()}`;
  const missing = NEEDED.filter((name) => typeof codeMesh[name] !== 'function');
  if (missing.length > 0) {
    setStatus(`This build of the module lacks ${missing.join(', ')}; rebuild it with \`bash npm/build.sh\`.`, 'error');
    return;
  }

  ui.settings.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    setBusy(true);
    try {
      await openProject();
      ui.transcript.note('Settings changed: the project was reopened from the applied files (staged changes dropped).');
    } catch (error) {
      setStatus(messageOf(error), 'error');
    } finally {
      setBusy(false);
    }
  });
  ui.chat.addEventListener('submit', (submit) => {
    submit.preventDefault();
    const text = ui.prompt.value.trim();
    if (text === '' || busy) return;
    ui.prompt.value = '';
    send(text);
  });
  ui.prompt.addEventListener('keydown', (key) => {
    if (key.key === 'Enter' && (key.ctrlKey || key.metaKey)) ui.chat.requestSubmit();
  });
  ui.apply.addEventListener('click', applyStaged);
  ui.reject.addEventListener('click', rejectStaged);

  try {
    await openProject();
    setBusy(false);
  } catch (error) {
    setStatus(messageOf(error), 'error');
  }
}

start();
