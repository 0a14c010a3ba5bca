// The first bytes of an executable or native module for a platform and CPU, as its linker writes them: enough for
// build/native.mjs's binaryTarget, which reads nothing else.
export function binaryHeader(platform: string, arch: string): Buffer {
  const b = Buffer.alloc(256);
  if (platform === 'darwin') {
    b.writeUInt32LE(0xfeedfacf, 0);
    b.writeUInt32LE(arch === 'arm64' ? 0x0100000c : 0x01000007, 4);
  } else if (platform === 'win32') {
    b.write('MZ', 0, 'latin1');
    b.writeUInt32LE(0x80, 0x3c);
    b.write('PE\0\0', 0x80, 'latin1');
    b.writeUInt16LE(arch === 'arm64' ? 0xaa64 : 0x8664, 0x84);
  } else {
    b.write('\x7fELF', 0, 'latin1');
    b.writeUInt16LE(arch === 'arm64' ? 0xb7 : 0x3e, 18);
  }
  return b;
}
