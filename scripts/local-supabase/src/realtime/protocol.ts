// Phoenix channel framing as realtime-js speaks it: vsn 2.0.0 JSON arrays
// [join_ref, ref, topic, event, payload] (and binary kind-3 user broadcasts from the client),
// vsn 1.0.0 JSON objects. We always answer in JSON text, which realtime-js accepts for both.
import { JsonTooDeep, parseJsonBounded } from '../json-depth.ts';

export type Vsn = '1.0.0' | '2.0.0';

export interface PhxMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

export class ProtocolError extends Error {}

const asRef = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function decodeText(text: string, vsn: Vsn): PhxMessage {
  let parsed: unknown;
  try {
    parsed = parseJsonBounded(text);
  } catch (error) {
    throw new ProtocolError(error instanceof JsonTooDeep ? `frame is ${error.message}` : 'frame is not JSON');
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5 || typeof parsed[2] !== 'string' || typeof parsed[3] !== 'string') {
      throw new ProtocolError('expected [join_ref, ref, topic, event, payload]');
    }
    return { joinRef: asRef(parsed[0]), ref: asRef(parsed[1]), topic: parsed[2], event: parsed[3], payload: parsed[4] };
  }
  const obj = parsed as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || typeof obj.topic !== 'string' || typeof obj.event !== 'string') {
    throw new ProtocolError('expected {topic, event, payload, ref}');
  }
  return { joinRef: asRef(obj.join_ref), ref: asRef(obj.ref), topic: obj.topic, event: obj.event, payload: obj.payload };
}

const KIND_USER_BROADCAST_PUSH = 3;

/**
 * Kind 3 (client → server user broadcast): kind, len(join_ref), len(ref), len(topic),
 * len(user_event), len(metadata), encoding (0 binary, 1 JSON), then the strings and the payload.
 */
export function decodeBinary(frame: Buffer): PhxMessage {
  if (frame.length < 7 || frame[0] !== KIND_USER_BROADCAST_PUSH) throw new ProtocolError(`unsupported binary frame kind ${frame[0]}`);
  const lengths = [frame[1], frame[2], frame[3], frame[4], frame[5]];
  const encoding = frame[6];
  let offset = 7;
  const parts = lengths.map((length) => {
    if (offset + length > frame.length) throw new ProtocolError('truncated binary frame');
    const text = frame.subarray(offset, offset + length).toString('utf8');
    offset += length;
    return text;
  });
  const [joinRef, ref, topic, userEvent, metadata] = parts;
  const body = frame.subarray(offset);
  let userPayload: unknown;
  if (encoding === 1) {
    try {
      userPayload = body.length === 0 ? {} : parseJsonBounded(body.toString('utf8'));
    } catch {
      throw new ProtocolError('binary broadcast payload is not JSON');
    }
  } else {
    // Binary user payloads are relayed to JSON clients as base64 text: realtime-js only decodes kind 4.
    userPayload = { base64: body.toString('base64') };
  }
  const payload: Record<string, unknown> = { type: 'broadcast', event: userEvent, payload: userPayload };
  if (metadata) {
    try {
      payload.meta = parseJsonBounded(metadata);
    } catch {
      throw new ProtocolError('binary broadcast metadata is not JSON');
    }
  }
  return { joinRef: joinRef || null, ref: ref || null, topic, event: 'broadcast', payload };
}

export function encode(message: PhxMessage, vsn: Vsn): string {
  if (vsn === '2.0.0') return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  return JSON.stringify({ topic: message.topic, event: message.event, payload: message.payload, ref: message.ref, join_ref: message.joinRef });
}
