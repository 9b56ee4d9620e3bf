// What the page shows: the transcript with streamed replies and tool lines,
// the file list, the staged diff and approval prompts. Text only ever goes in
// through textContent, so nothing a model writes is read as HTML.

/** An element `tag` with `className` and text. */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The transcript: the person's messages and the agents' replies, newest last. */
export class Transcript {
  constructor(container) {
    this.container = container;
  }

  /** Shows what the person asked. */
  user(text) {
    this.#add(element('div', 'message user', text));
  }

  /** Starts an agent's reply, filled in as its events arrive. */
  reply() {
    const node = element('div', 'message assistant');
    this.#add(node);
    return new Reply(node, () => this.#scroll());
  }

  /** A line of its own (an apply, a reject, an error outside a turn). */
  note(text, kind = 'info') {
    this.#add(element('div', `note ${kind}`, text));
  }

  #add(node) {
    this.container.append(node);
    this.#scroll();
  }

  #scroll() {
    this.container.scrollTop = this.container.scrollHeight;
  }
}

/** One reply, in the order things happened: streamed text, tool calls, notes. */
class Reply {
  #tools = new Map();
  #errors = [];

  constructor(node, scroll) {
    this.node = node;
    this.scroll = scroll;
  }

  /** Whether any answer text has arrived. */
  hasText() {
    return [...this.node.querySelectorAll('.text')].some((part) => part.textContent !== '');
  }

  /** The next piece of streamed answer text. */
  append(delta) {
    this.#text().textContent += delta;
    this.scroll();
  }

  /** The whole answer, when none was streamed. */
  setText(text) {
    this.#text().textContent = text;
    this.scroll();
  }

  /** A tool call starting: `• edit  src/greet.js …`. */
  toolBegin(callId, tool, subject) {
    const line = element('div', 'tool-line running', `• ${tool}  ${subject} …`);
    this.node.append(line);
    this.#tools.set(callId, line);
    this.scroll();
  }

  /** A tool call ended: its line shows the title, marked when it failed. */
  toolEnd(callId, tool, title, failed) {
    let line = this.#tools.get(callId);
    if (!line) {
      line = element('div');
      this.node.append(line);
    }
    line.className = failed ? 'tool-line failed' : 'tool-line';
    line.textContent = `${failed ? '✗' : '•'} ${tool}  ${title}`;
    this.scroll();
  }

  /** A line inside the reply (a failed task, an error). */
  note(text, kind = 'info') {
    this.node.append(element('div', `note ${kind}`, text));
    this.scroll();
  }

  /**
   * An error, once: a failed task's reason comes again as the turn's error
   * and as the rejected promise's message.
   */
  error(text) {
    if (this.#errors.some((shown) => shown.includes(text) || text.includes(shown))) return;
    this.#errors.push(text);
    this.note(text, 'error');
  }

  /** The text block at the end of the reply, started when something else is last. */
  #text() {
    const last = this.node.lastElementChild;
    if (last?.classList.contains('text')) return last;
    const text = element('div', 'text');
    this.node.append(text);
    return text;
  }
}

/** The file list; `onOpen(path)` is called when a file is clicked. */
export function renderFiles(list, paths, staged, current, onOpen) {
  list.replaceChildren(
    ...paths.map((path) => {
      const button = element('button');
      button.type = 'button';
      button.dataset.path = path;
      if (path === current) button.setAttribute('aria-current', 'true');
      button.append(element('span', 'badge', staged.get(path) ?? ''), path);
      button.addEventListener('click', () => onOpen(path));
      const item = element('li');
      item.append(button);
      return item;
    }),
  );
}

/** The letter a file's change gets in lists: A, M or D. */
export function statusLetter(status) {
  return { added: 'A', modified: 'M', deleted: 'D' }[status] ?? '?';
}

/** A unified diff, one element per line, colored by what the line does. */
export function renderDiff(container, diff) {
  const lines = diff === '' ? [] : diff.replace(/\n$/, '').split('\n');
  container.replaceChildren(
    ...lines.map((line) => element('div', `diff-line ${diffLineKind(line)}`, line)),
  );
}

function diffLineKind(line) {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ')) return 'file';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}

/** Asks the person about an `approval_requested` event; `answer(allowed)` once. */
export function showApproval(container, event, answer) {
  const box = element('div', 'approval');
  box.dataset.id = String(event.id);
  box.append(
    element('p', 'title', event.title || `${event.permission}: ${event.pattern}`),
    element('p', 'note', `${event.permission}: ${event.pattern}`),
  );
  const allow = element('button', 'allow', 'Allow once');
  const deny = element('button', 'deny', 'Deny');
  for (const [button, allowed] of [
    [allow, true],
    [deny, false],
  ]) {
    button.type = 'button';
    button.addEventListener('click', () => {
      box.remove();
      answer(allowed);
    });
  }
  box.append(allow, deny);
  container.append(box);
}

/** What a tool call works on, in a few words: its path, command or URL. */
export function toolSubject(args) {
  if (args === null || typeof args !== 'object') return String(args ?? '');
  const subject = args.filePath ?? args.path ?? args.command ?? args.url ?? args.pattern;
  if (subject !== undefined) return String(subject);
  const json = JSON.stringify(args);
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}
