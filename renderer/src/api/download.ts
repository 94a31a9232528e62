/** Hands a file the Api produced (a manifest, a report) to the browser's download, as the user's own save. */
export function saveFile(fileName: string, mediaType: string, content: string, encoding: 'utf8' | 'base64'): void {
  const bytes = encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(content);
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}
