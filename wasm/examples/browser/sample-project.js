// The project the example's agents work on: a few files held in memory
// (initProject takes an object of project-relative paths to contents).

/** A tiny JavaScript greeter with a test and a README. */
export const SAMPLE_PROJECT = {
  // The project's Code Mesh config, read as on disk: fetching a URL asks
  // first, so the page shows an approval prompt (Allow once / Deny).
  '.code-mesh/config.json': `{
  "permission": { "webfetch": "ask" }
}
`,
  'README.md': `# Greeter

A tiny sample project for trying Code Mesh in the browser.
\`src/greet.js\` builds greetings, \`src/format.js\` formats names, and
\`test/greet.test.js\` checks them (\`node --test\`).
`,
  'package.json': `{
  "name": "greeter",
  "version": "1.0.0",
  "type": "module",
  "scripts": { "test": "node --test" }
}
`,
  'src/greet.js': `import { formatName } from './format.js';

/** A greeting for \`name\`. */
export function greet(name) {
  return "Hello, " + formatName(name) + "!";
}
`,
  'src/format.js': `/** \`name\` trimmed, with its first letter in capitals. */
export function formatName(name) {
  const trimmed = name.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
`,
  'test/greet.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greet } from '../src/greet.js';

test('greets by name', () => {
  assert.equal(greet(' ada'), 'Hello, Ada!');
});
`,
};
