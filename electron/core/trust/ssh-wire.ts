/**
 * The SSH wire encoding (RFC 4251 section 5) that OpenSSH public keys and SSHSIG signatures are made of: uint32
 * big-endian, and `string` as a uint32 length followed by that many bytes. A reader names what it was reading when
 * the data runs out, so a truncated key or signature says which field is missing.
 */
import { badInput } from '../errors';

export class SshReader {
  private offset = 0;

  /** `what` names the whole structure in errors, e.g. "the SSH signature". */
  constructor(
    private readonly data: Buffer,
    private readonly what: string,
  ) {}

  private take(n: number, field: string): Buffer {
    if (this.offset + n > this.data.length) {
      throw badInput(`${this.what} is truncated: its ${field} needs ${n} bytes at offset ${this.offset}, ${this.data.length - this.offset} remain.`);
    }
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  bytes(n: number, field: string): Buffer {
    return this.take(n, field);
  }

  byte(field: string): number {
    return this.take(1, field)[0] as number;
  }

  uint32(field: string): number {
    return this.take(4, field).readUInt32BE(0);
  }

  string(field: string): Buffer {
    return this.take(this.uint32(`${field} length`), field);
  }

  /** A string that must be printable ASCII (key types, namespaces, algorithm names). */
  text(field: string): string {
    const raw = this.string(field);
    if (!/^[\x20-\x7e]*$/.test(raw.toString('latin1'))) throw badInput(`${this.what} has a ${field} that is not printable ASCII.`);
    return raw.toString('latin1');
  }

  /** Refuses trailing bytes: a structure with more in it than its fields is not the structure. */
  end(): void {
    if (this.offset !== this.data.length) throw badInput(`${this.what} has ${this.data.length - this.offset} unexpected bytes after its last field.`);
  }
}

export const sshUint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
};

export const sshString = (value: Buffer | string): Buffer => {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([sshUint32(data.length), data]);
};
