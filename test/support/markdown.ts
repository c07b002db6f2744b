/**
 * Reads Markdown the way GitHub does (CommonMark + tables, with raw HTML allowed so that HTML smuggled through
 * user text would show up as HTML tokens) and answers what a reader sees: tables as rows of cell text, code as
 * code, the text of every other block.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: true, linkify: false });
type Token = ReturnType<MarkdownIt['parse']>[number];

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export interface ReadMarkdown {
  tokens: Token[];
  html: string;
  /** Every table: header cells, then rows of cell text as rendered. */
  tables: { header: string[]; rows: string[][] }[];
  /** Fenced and indented code blocks: [info, content]. */
  code: { info: string; content: string }[];
  /** Inline code spans. */
  spans: string[];
  headings: string[];
  /** Raw HTML that would reach the page. */
  html_tokens: string[];
  /** Rendered text outside code (what a reader sees), one line per block. */
  text: string;
}

export function readMarkdown(source: string): ReadMarkdown {
  const tokens = md.parse(source, {});
  const out: ReadMarkdown = { tokens, html: md.render(source), tables: [], code: [], spans: [], headings: [], html_tokens: [], text: '' };
  const texts: string[] = [];
  let table: { header: string[]; rows: string[][] } | undefined;
  let row: string[] | undefined;
  let inHead = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'table_open') table = { header: [], rows: [] };
    else if (t.type === 'table_close') (out.tables.push(table!), (table = undefined));
    else if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close') (inHead ? (table!.header = row!) : table!.rows.push(row!), (row = undefined));
    else if (t.type === 'fence' || t.type === 'code_block') out.code.push({ info: t.info, content: t.content });
    else if (t.type === 'html_block') out.html_tokens.push(t.content);
    else if (t.type === 'heading_open') out.headings.push(decode(md.renderer.renderInline(tokens[i + 1]!.children ?? [], md.options, {})));
    else if (t.type === 'inline') {
      for (const c of t.children ?? []) {
        if (c.type === 'html_inline') out.html_tokens.push(c.content);
        if (c.type === 'code_inline') out.spans.push(c.content);
      }
      const noCode = (t.children ?? []).filter((c) => c.type !== 'code_inline');
      const text = decode(md.renderer.renderInline(noCode, md.options, {}));
      if (row) row.push(decode(md.renderer.renderInline(t.children ?? [], md.options, {})));
      texts.push(text);
    }
  }
  out.text = texts.join('\n');
  return out;
}

/**
 * What must hold for any Markdown helm-cloud writes: no raw HTML reaches the page, no escaping shows through
 * (a backslash or "&lt;" in what the reader sees, outside code), every table row has its header's cells.
 * Returns the reading for further checks.
 */
export function inertMarkdown(source: string): ReadMarkdown {
  const r = readMarkdown(source);
  const problems: string[] = [];
  if (r.html_tokens.length) problems.push(`raw HTML reaches the page: ${JSON.stringify(r.html_tokens)}`);
  if (/\\/.test(r.text)) problems.push(`a backslash shows: ${r.text.split('\n').find((l) => l.includes('\\'))}`);
  if (/&(lt|gt|amp|quot);/.test(r.text)) problems.push(`an entity shows: ${r.text.split('\n').find((l) => /&(lt|gt|amp|quot);/.test(l))}`);
  for (const t of r.tables) for (const row of t.rows) if (row.length !== t.header.length) problems.push(`a row has ${row.length} cells, its header ${t.header.length}: ${JSON.stringify(row)}`);
  if (problems.length) throw new Error(`Markdown is not inert:\n- ${problems.join('\n- ')}\n--- source ---\n${source}`);
  return r;
}
