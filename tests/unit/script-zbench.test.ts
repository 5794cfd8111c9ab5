import { test } from 'vitest';
import { parseScript } from '../../src/script/index.js';
import { lex } from '../../src/script/lexer.js';
test('bench', () => {
  const line = 'docker run -dit --name web -p 8080:80 --network=CustomNat1 mcr.microsoft.com/windows/servercore/iis\n';
  const big = line.repeat(5000);
  let t0 = performance.now(); lex(big); console.log('lex', performance.now()-t0);
  t0 = performance.now(); parseScript(big); console.log('parse', performance.now()-t0);
  const l2 = 'Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On\n'.repeat(5000);
  t0 = performance.now(); parseScript(l2); console.log('ps', performance.now()-t0);
  const l3 = 'host h1 --os ws2019 --nic "Ethernet" --ip 10.0.0.10/24 --gateway 10.0.0.1\n'.repeat(5000);
  t0 = performance.now(); parseScript(l3); console.log('host', performance.now()-t0);
});
