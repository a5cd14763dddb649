// Lingering close (what nginx calls lingering_close). An answer sent before the request's body was read (an upload
// over the size limit, a file that is no audio) closes the connection ("Connection: close"). Closed at once, the
// server's kernel answers the bytes the client is still sending with a reset, and a client that has not read the
// answer yet loses it: the browser says "network error" instead of "the file is too large". So the server sends its
// answer and ends its side, then reads and discards the rest for up to LINGER_MS (or until the body is complete)
// before it closes the socket.
import net from "node:net";

export const LINGER_MS = 2000;

/** Express middleware: arms the lingering close for this request's socket (Node calls destroySoon after an answer with "Connection: close"). */
export function lingerBeforeClose(req, _res, next) {
  const socket = req.socket;
  if (socket instanceof net.Socket) {
    socket.destroySoon = function destroySoonLingering() {
      if (req.complete || socket.destroyed) return net.Socket.prototype.destroySoon.call(socket);
      socket.end();
      const timer = setTimeout(() => socket.destroy(), LINGER_MS);
      socket.once("close", () => clearTimeout(timer));
      req.once("end", () => socket.destroy());
      // Detach whoever read the body (Remix's web stream would buffer the rest) and let the bytes drain.
      req.removeAllListeners("data");
      req.resume();
    };
  }
  next();
}
