/**
 * Structured data (schema.org) for search engines, as `<script type="application/ld+json">`.
 *
 * Preact escapes the text of a `<script>` as HTML (`&quot;`, `&lt;`), which is not JSON any more,
 * so this is the one place besides sanitised Markdown that inserts a string unescaped. It is safe
 * because the string is JSON with every character that could end the script or start markup
 * written as a JSON escape: `<` `>` `&` become \u003c \u003e \u0026, so a group called
 * `</script><script>…` stays a string inside the JSON, and U+2028/U+2029 (line breaks to older
 * JavaScript parsers) become \u2028 \u2029.
 */
export function serialiseJsonLd(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function JsonLd({ data }: { data: unknown }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serialiseJsonLd(data) }} />;
}
