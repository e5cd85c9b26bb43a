import { connect, type Socket } from 'node:net';

/** A client that sends its headers at once and then its body a byte at a time, never finishing it on its own. */
export interface TrickleClient {
  readonly socket: Socket;
  /** Resolves when the server closes the connection, with everything it sent. */
  readonly closed: Promise<string>;
  stop(): void;
}

/**
 * Opens a connection to `port` and POSTs to `path` a body that announces `declaredLength` bytes but arrives at one
 * byte every `everyMs`: the slow-body attack of issue 22 (finding 8). The socket is left to the server to close;
 * `stop()` ends the trickle and destroys the socket.
 */
export function trickle(port: number, path: string, { declaredLength = 2_000, everyMs = 200, contentType = 'application/json' } = {}): Promise<TrickleClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
    });
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<string>((done) =>
      socket.once('close', () => {
        clearInterval(timer);
        done(received);
      }),
    );
    socket.on('error', () => undefined); // a reset by the server is how some of these end
    socket.once('connect', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${declaredLength}\r\n\r\n{`);
      let sent = 1;
      timer = setInterval(() => {
        // Stop one byte short: the body is never complete, whatever the pace.
        if (sent < declaredLength - 1 && socket.writable) {
          socket.write(' ');
          sent++;
        }
      }, everyMs);
      resolve({
        socket,
        closed,
        stop: () => {
          clearInterval(timer);
          socket.destroy();
        },
      });
    });
    socket.once('error', reject);
  });
}
