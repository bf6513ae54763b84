// RSP framing and the target XML readers, against packets and documents as GDB, QEMU and
// OpenOCD write them.

import { describe, expect, it } from 'vitest';
import { decodeReply, escapeBinary, escapedLength, FrameReader, framePacket, fromHex, u32LittleEndianHex } from '../../src/flash/rsp-framing.js';
import { parseMemoryMap, registerNumbers } from '../../src/flash/target-xml.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('RSP framing', () => {
  it('frames packets with the checksums GDB sends', () => {
    // Checksums as they appear in GDB's own remote logs ("set debug remote 1").
    expect(text(framePacket('g'))).toBe('$g#67');
    expect(text(framePacket('?'))).toBe('$?#3f');
    expect(text(framePacket('c'))).toBe('$c#63');
    expect(text(framePacket('OK'))).toBe('$OK#9a');
    expect(text(framePacket('QStartNoAckMode'))).toBe('$QStartNoAckMode#b0');
  });

  it('escapes #, $, } and * in binary data and undoes it', () => {
    const data = Uint8Array.of(0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff, 0x41);
    const escaped = escapeBinary(data);
    expect(Array.from(escaped)).toEqual([0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x00, 0xff, 0x41]);
    expect(escapedLength(data, 0, data.length)).toBe(escaped.length);
    expect(Array.from(decodeReply(escaped))).toEqual(Array.from(data));
  });

  it('expands run-length encoded replies (count = char - 29)', () => {
    // "0* " is '0' followed by 3 more: the GDB manual's example gives "0000".
    expect(text(decodeReply(Buffer.from('0* ')))).toBe('0000');
    expect(text(decodeReply(Buffer.from('ab*"c')))).toBe('abbbbbbc');
  });

  it('reads acks, packets split across chunks and flags a bad checksum', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from('+$O'))).toEqual([{ kind: 'ack' }]);
    const frames = reader.push(Buffer.from('K#9a$OK#00-'));
    expect(frames.map((f) => f.kind)).toEqual(['packet', 'packet', 'nak']);
    expect(frames[0]).toMatchObject({ checksumOk: true });
    expect(frames[1]).toMatchObject({ checksumOk: false });
    expect(text((frames[0] as { payload: Uint8Array }).payload)).toBe('OK');
  });

  it('converts hex and little-endian register values', () => {
    expect(u32LittleEndianHex(0x20002000)).toBe('00200020');
    expect(Array.from(fromHex('0aff')!)).toEqual([10, 255]);
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
  });
});

describe('target XML', () => {
  it('reads an OpenOCD-style memory map', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE memory-map PUBLIC "+//IDN gnu.org//DTD GDB Memory Map V1.0//EN" "http://sourceware.org/gdb/gdb-memory-map.dtd">
<memory-map>
<memory type="flash" start="0x0" length="0x40000">
<property name="blocksize">0x400</property>
</memory>
<memory type="ram" start="0x20000000" length="0x10000"/>
</memory-map>`;
    expect(parseMemoryMap(xml)).toEqual([
      { type: 'flash', start: 0, length: 0x40000, blockSize: 0x400 },
      { type: 'ram', start: 0x20000000, length: 0x10000 },
    ]);
  });

  it('numbers registers through includes, with and without regnum', async () => {
    const root = `<target><architecture>arm</architecture><xi:include href="arm-m-profile.xml"/></target>`;
    const core = `<feature name="org.gnu.gdb.arm.m-profile">
  <reg name="r0" bitsize="32"/>${Array.from({ length: 12 }, (_, i) => `<reg name="r${i + 1}" bitsize="32"/>`).join('')}
  <reg name="sp" bitsize="32" type="data_ptr"/>
  <reg name="lr" bitsize="32"/>
  <reg name="pc" bitsize="32" type="code_ptr"/>
  <reg name="xpsr" bitsize="32" regnum="25"/>
</feature>`;
    const numbers = await registerNumbers(root, async (annex) => (annex === 'arm-m-profile.xml' ? core : ''));
    expect(numbers.get('sp')).toBe(13);
    expect(numbers.get('pc')).toBe(15);
    expect(numbers.get('xpsr')).toBe(25);
  });
});
