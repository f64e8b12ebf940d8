import type { PGlite } from '@electric-sql/pglite';

/** Extended-query messages that PostgreSQL discards after an error until the next Sync. */
const discardedAfterError = new Set(['P', 'B', 'D', 'E', 'C', 'H']);
const syncMessage = 'S';
const errorResponse = 0x45; // 'E'
const readyForQuery = 0x5a; // 'Z'

/** Splits backend output into whole protocol messages: a type byte and an int32 length. */
function backendMessages(output: Uint8Array): Uint8Array[] {
  const messages: Uint8Array[] = [];
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  let offset = 0;
  while (offset + 5 <= output.length) {
    const end = offset + 1 + view.getInt32(offset + 1);
    messages.push(output.subarray(offset, end));
    offset = end;
  }
  return messages;
}

/**
 * PGlite runs the extended query protocol one message at a time and answers a failed Parse,
 * Bind or Execute with ErrorResponse + ReadyForQuery at once (electric-sql/pglite#958). A real
 * server sends ReadyForQuery only for the Sync, and ignores the batch's remaining messages until
 * then; node-postgres relies on that and breaks its connection otherwise (an "unexpected
 * parseComplete"). This wrapper restores PostgreSQL's behaviour for every socket connection.
 * The engine runs one message at a time for all connections, so one flag suffices.
 */
export function followExtendedQueryErrorRules(engine: PGlite): void {
  const execute = engine.execProtocolRawStream.bind(engine);
  let discardingUntilSync = false;

  engine.execProtocolRawStream = async (message, options) => {
    const type = String.fromCharCode(message[0] ?? 0);
    if (type === syncMessage) {
      discardingUntilSync = false;
      return execute(message, options);
    }
    if (!discardedAfterError.has(type)) return execute(message, options);
    if (discardingUntilSync) return;

    const chunks: Uint8Array[] = [];
    await execute(message, { ...options, onRawData: (chunk) => chunks.push(chunk.slice()) });
    const output = Buffer.concat(chunks);
    const messages = backendMessages(output);
    const failed = messages.some((part) => part[0] === errorResponse);
    if (failed) discardingUntilSync = true;
    const forwarded = failed ? messages.filter((part) => part[0] !== readyForQuery) : messages;
    if (forwarded.length > 0) options?.onRawData?.(Buffer.concat(forwarded));
  };
}
