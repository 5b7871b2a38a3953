/**
 * README.ja.md is the course's Japanese README: it must keep the English README's structure and commands, so a
 * student following either runs the same thing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Lines outside fenced code blocks, and the fenced blocks with their language. */
function parse(markdown: string): { prose: string[]; blocks: { lang: string; lines: string[] }[] } {
  const prose: string[] = [];
  const blocks: { lang: string; lines: string[] }[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence && !open) open = { lang: fence[1] ?? '', lines: [] };
    else if (fence && open) {
      blocks.push(open);
      open = undefined;
    } else if (open) open.lines.push(line);
    else prose.push(line);
  }
  return { prose, blocks };
}

/** The level of each `##`/`###` heading, in order. */
const headingLevels = (markdown: string): string[] =>
  parse(markdown)
    .prose.filter((l) => /^#{2,3} /.test(l))
    .map((l) => l.split(' ')[0] as string);

/** Every line of every fenced `bash` block, in order. */
const bashLines = (markdown: string): string[] =>
  parse(markdown)
    .blocks.filter((b) => b.lang === 'bash')
    .flatMap((b) => b.lines);

const english = read('README.md');
const japanese = read('README.ja.md');

describe('README.ja.md', () => {
  test('has the same ## and ### headings as README.md, in the same order', () => {
    expect(headingLevels(japanese)).toEqual(headingLevels(english));
    expect(headingLevels(english).length).toBeGreaterThanOrEqual(10);
  });

  test('has the same commands: every line of every bash block is identical', () => {
    expect(bashLines(japanese)).toEqual(bashLines(english));
    expect(bashLines(english).length).toBeGreaterThanOrEqual(10);
  });

  test('is written in Japanese (control: the check tells the two files apart)', () => {
    const kana = (text: string): number =>
      (
        parse(text)
          .prose.join('')
          .match(/[\u3040-\u30ff]/g) ?? []
      ).length;
    expect(kana(japanese)).toBeGreaterThan(1000);
    expect(kana(english)).toBe(0);
  });

  test('the two READMEs link to each other', () => {
    expect(english).toContain('(README.ja.md)');
    expect(japanese).toContain('(README.md)');
  });
});

describe('pattern pages', () => {
  test.each(fs.readdirSync(path.join(ROOT, 'docs', 'patterns')))('%s has a Mermaid diagram', (file) => {
    const { blocks } = parse(read(path.join('docs', 'patterns', file)));
    expect(blocks.filter((b) => b.lang === 'mermaid' && /^(flowchart|graph) /.test(b.lines[0] ?? ''))).toHaveLength(1);
  });
});
