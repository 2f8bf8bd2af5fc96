/** This machine: where a token may go over plain HTTP (the stand-in), and which reads GITHUB_TOKEN like github.com. */
export function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}
