/** A one-line description of why a listen failed, with what to do. */
export function describeListenError(error: unknown, host: string, port: number): string {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE')
    return `port ${port} on ${host} is in use (EADDRINUSE); pass --port 0 for a free port or stop the other process`;
  if (code === 'EADDRNOTAVAIL')
    return `cannot bind ${host} (EADDRNOTAVAIL); pass a local address such as --host 127.0.0.1`;
  if (code === 'EACCES') return `not allowed to bind ${host}:${port} (EACCES); use a port above 1023`;
  return `cannot listen on ${host}:${port} (${error instanceof Error ? error.message : String(error)})`;
}
