/** Starts a server listening, turning the usual failures into a one-line message that says what to do. */
import type { Server } from 'node:net';

/** Listens on `host:port`; rejects with a plain Error naming the address, the cause and `flag` to change. */
export function listenOn(server: Server, port: number, host: string, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(new Error(describeListenError(error, `${host}:${port}`, flag)));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function describeListenError(error: NodeJS.ErrnoException, address: string, flag: string): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `cannot listen on ${address}: the address is already in use (is another Bulwark running?); stop that process or choose another ${flag}`;
    case 'EACCES':
      return `cannot listen on ${address}: permission denied (ports below 1024 need privileges); choose another ${flag}`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${address}: no interface of this machine has that address; choose another ${flag}`;
    default:
      return `cannot listen on ${address}: ${error.code ?? 'error'} ${error.message}`;
  }
}
