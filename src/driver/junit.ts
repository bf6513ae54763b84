// JUnit XML for `mcu-aot test --junit`: the <testsuite>/<testcase>/<failure> shape CI systems
// (GitHub Actions reporters, GitLab, Jenkins) read. Times are in seconds.

import type { TestReport } from './test.js';

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 forbids most control characters, and a firmware may print anything.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The report as a JUnit XML document; `suiteName` names the module. */
export function junitXml(report: TestReport, suiteName: string): string {
  const cases = report.results.map((r) => {
    const open = `    <testcase name="${escapeXml(r.name)}" classname="${escapeXml(suiteName)}" time="${seconds(r.timeMs)}"`;
    const body: string[] = [];
    if (r.status !== 'pass') {
      body.push(`      <failure type="${r.status}" message="${escapeXml(r.detail ?? r.status)}"/>`);
    }
    if (r.output.length > 0) body.push(`      <system-out>${escapeXml(r.output.join('\n'))}</system-out>`);
    return body.length === 0 ? `${open}/>` : [`${open}>`, ...body, '    </testcase>'].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${report.results.length}" failures="${report.failed}" time="${seconds(report.timeMs)}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${report.results.length}" failures="${report.failed}" errors="0" skipped="0" time="${seconds(report.timeMs)}" hostname="${escapeXml(report.board)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
