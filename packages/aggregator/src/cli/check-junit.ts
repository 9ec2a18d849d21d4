import type { CheckResult } from './check-suite.js';

/**
 * Escapes text for an XML 1.0 attribute or text node: `& < > " '` as entities, and characters XML 1.0 cannot carry
 * (C0 controls other than tab, newline and carriage return; lone surrogates; U+FFFE/U+FFFF) dropped.
 */
export function escapeXml(text: string): string {
  let safe = '';
  for (const ch of text) {
    // code points XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    const c = ch.codePointAt(0) as number;
    if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000) safe += ch;
  }
  return safe.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * {@link escapeXml} for an attribute value: tab, newline and carriage return as character references too, since a
 * parser normalises them to spaces inside attributes (XML 1.0 §3.3.3), so a multi-line failure message keeps its lines.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/**
 * The check result as JUnit XML (the Ant/Jenkins schema most CI systems read): one testsuite, one testcase per
 * test; failures as `<failure>`, unmeasurable tests as `<skipped>`, warnings (failed tests outside --fail-on) as
 * passing testcases with the warning in `<system-out>`.
 */
export function checkToJunit(result: CheckResult): string {
  const a = (v: string | number): string => escapeXmlAttribute(String(v));
  const suiteName = `driftwatch check ${result.model} v${result.version}${result.window === null ? '' : ` (${result.window})`}`;
  const classname = `driftwatch.${result.model}.v${result.version}`;
  const counts = `tests="${result.summary.tests}" failures="${result.summary.failed}" errors="0" skipped="${result.summary.skipped}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="driftwatch check" ${counts}>`,
    `  <testsuite name="${a(suiteName)}" ${counts} timestamp="${a(result.evaluatedAt)}">`,
    '    <properties>',
    `      <property name="model" value="${a(result.model)}"/>`,
    `      <property name="version" value="${a(result.version)}"/>`,
    ...(result.window === null ? [] : [`      <property name="window" value="${a(result.window)}"/>`]),
    `      <property name="source" value="${a(result.source)}"/>`,
    `      <property name="fail-on" value="${a(result.failOn.join(','))}"/>`,
    '    </properties>',
  ];
  for (const t of result.tests) {
    const open = `    <testcase classname="${a(`${classname}.${t.category}`)}" name="${a(t.name)}"`;
    if (t.status === 'pass') lines.push(`${open}/>`);
    else if (t.status === 'fail') lines.push(`${open}>`, `      <failure type="${a(t.category)}" message="${a(t.detail)}">${escapeXml(t.detail)}</failure>`, '    </testcase>');
    else if (t.status === 'skip') lines.push(`${open}>`, `      <skipped message="${a(t.detail)}"/>`, '    </testcase>');
    else lines.push(`${open}>`, `      <system-out>${escapeXml(`warning (${t.category} is not in --fail-on): ${t.detail}`)}</system-out>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
