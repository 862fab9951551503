/**
 * Loopback ports for processes the tests start (nginx, HAProxy, the built service).
 */
import { connect } from 'node:net';

export { freePort } from 'nest-mtls-auth/testing/ports';

/**
 * Waits until `child` accepts connections on `port` (about 5 s at most).
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} port
 * @param {string} what the process's name, for the error
 * @param {() => string} stderr what the process has written so far, for the error
 */
export async function untilListening(child, port, what, stderr) {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited: ${stderr()}`);
    const open = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    if (i >= 100) throw new Error(`${what} did not listen on ${port}: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
