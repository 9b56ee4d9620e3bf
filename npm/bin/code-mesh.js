#!/usr/bin/env node
// The `code-mesh` command of the npm package: the CLI compiled to
// WebAssembly (npm/dist/node, made by npm/build.sh), given this process's
// arguments, environment and working directory. Its exit code becomes ours.
'use strict';

const path = require('node:path');

const MODULE = path.join(__dirname, '..', 'dist', 'node', 'code_mesh.js');

/** Loads the wasm build, or says why it cannot and returns undefined. */
function load() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    console.error(`code-mesh: Node ${process.versions.node} is too old; it needs Node 20 or newer.`);
    return undefined;
  }
  try {
    return require(MODULE);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(MODULE)) {
      console.error(
        `code-mesh: the WebAssembly build is missing (${MODULE}).\n` +
          'In a Code Mesh checkout, build it with `bash npm/build.sh`; ' +
          'otherwise reinstall the package (npm i -g code-mesh).',
      );
      return undefined;
    }
    throw error;
  }
}

async function run() {
  const codeMesh = load();
  if (!codeMesh) return 1;
  if (typeof codeMesh.main !== 'function') {
    console.error(
      `code-mesh: the WebAssembly build in ${path.dirname(MODULE)} has no CLI (no main export); ` +
        'rebuild it from a current checkout with `bash npm/build.sh`.',
    );
    return 1;
  }
  // A plain copy: the wasm side reads the environment as a string record.
  const env = { ...process.env };
  return codeMesh.main(process.argv.slice(2), env, process.cwd());
}

run().then(
  (code) => {
    process.exitCode = typeof code === 'number' ? code : 1;
  },
  (error) => {
    console.error(`code-mesh: ${error && error.message ? error.message : error}`);
    process.exitCode = 1;
  },
);
