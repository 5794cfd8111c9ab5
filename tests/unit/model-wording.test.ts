/** The real tools' errors, not the implementation's words: wrong compose types, bad targets, flood and ping bounds. */
import { describe, expect, it } from 'vitest';
import { run } from './model-helpers.js';

const up = (yml: string) => run('docker compose -f app.yml up -d', { files: { 'app.yml': yml } }).last;

describe('compose values of the wrong type: compose\'s validation message', () => {
  it.each([
    ['services:\n  web:\n    image: x\n    ports: 80\n', 'validating app.yml: services.web.ports must be a array'],
    ['services:\n  web:\n', 'validating app.yml: services.web must be a mapping'],
    ['services: [a]\n', 'validating app.yml: services must be a mapping'],
    ['- a\n', 'parsing app.yml: Top-level object must be a mapping'],
    ['services:\n  web:\n    image: [x]\n', 'validating app.yml: services.web.image must be a string'],
    ['services:\n  web:\n    image: x\n    networks: 3\n', 'validating app.yml: services.web.networks must be a array or mapping'],
    ['services:\n  web:\n    image: x\nnetworks:\n  n:\n    ipam:\n      config: {subnet: 1}\n', 'validating app.yml: networks.n.ipam.config must be a array'],
  ])('%j', (yml, error) => {
    const o = up(yml);
    expect(o.ok).toBe(false);
    expect(o.error).toBe(error);
  });

  it('the long port syntax publishes like the short one', () => {
    const o = up('services:\n  web:\n    image: x\n    ports:\n      - target: 80\n        published: 8080\n');
    expect(o.ok).toBe(true);
  });
});

describe('traffic targets and bounds', () => {
  const base = 'docker run -d --name web img\n';
  it.each([
    ['docker exec web ping 999.1.1.1', 'Ping request could not find host 999.1.1.1. Please check the name and try again.'],
    ['docker exec web curl http://10.0.0.105000/', 'curl: (6) Could not resolve host: 10.0.0.105000'],
    ['docker exec web nslookup bing web', "*** Can't find server address for 'web':"],
    ['flood web host1 tcp/99999', 'flood: the port must be from 1 to 65535 (got 99999)'],
    ['flood web host1 tcp/80 --size 9000', 'flood: --size must be an integer from 60 to 1514'],
    ['flood web 10.0.0.256 udp/53', 'flood: 10.0.0.256 is neither an IPv4 address nor a container, client or host'],
  ])('%s', (line, error) => {
    const o = run(base + line).last;
    expect(o.ok).toBe(false);
    expect(o.error).toBe(error);
  });

  it('ping -n above the simulated bound is refused at the command, in words, counting IPv4 fragments', () => {
    expect(run(`${base}docker exec web ping -n 70000 web`).last.error).toMatch(/^packet-path: ping -n 70000: Packet Path simulates up to 10000 echo requests/);
    expect(run(`${base}docker exec web ping -n 10000 -l 1472 web`).last.ok).toBe(true);
    // 65,508 bytes of ICMP are 45 fragments of 1480 at MTU 1500 (RFC 791): 222 echoes fit the bound.
    expect(run(`${base}docker exec web ping -n 223 -l 65500 web`).last.error).toBe(
      'packet-path: ping -n 223 -l 65500: Packet Path simulates up to 10000 packets per ping (each traced hop by hop); -l 65500 is 45 IPv4 fragments per echo request, so -n up to 222; use flood for volume');
  });

  it('ping -l takes 0 to 65500, as Windows ping says (MicrosoftDocs/windowsserverdocs #4608, #5434)', () => {
    expect(run(`${base}docker exec web ping -l 65501 web`).last.error).toBe('Bad value for option -l, valid range is from 0 to 65500.');
    expect(run(`${base}docker exec web ping -l -1 web`).last.error).toBe('Bad value for option -l, valid range is from 0 to 65500.');
    expect(run(`${base}docker exec web ping -n 1 -l 65500 web`).last.ok).toBe(true);
  });
});
