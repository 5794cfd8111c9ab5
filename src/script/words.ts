/**
 * The words of the script language by class, for highlighters (web/editor/language.ts and the
 * read-only widget, whose first load must stay small). The parser's tables are where these words
 * are declared; computing the lists from them would bring every flag table into the widget's first
 * chunk, so this is a copy of what `highlightWords()` (src/vocabulary.ts) computes from the tables,
 * and tests/unit/vocabulary.test.ts fails when the two differ (its message prints the new lists).
 */
export const HIGHLIGHT = {
  verbs: ['host', 'lan', 'client', 'listen', 'flood', 'docker', 'expect', 'expect-fail'],
  subcommands: [
    'network', 'create', 'ls', 'list', 'inspect', 'rm', 'remove', 'connect', 'disconnect', 'prune', 'container', 'run',
    'start', 'stop', 'restart', 'ps', 'exec', 'port', 'logs', 'swarm', 'init', 'join', 'join-token', 'leave', 'service', 'scale', 'update', 'node',
    'stack', 'deploy', 'up', 'down', 'compose', 'pull', 'version', 'info', 'dhcp',
  ],
  tools: ['ping', 'tracert', 'curl', 'nslookup', 'ipconfig', 'netsh', 'reg', 'hostname', 'route', 'arp', 'netstat', 'vfpctrl', 'hnsdiag', 'advfirewall', 'firewall'],
  drivers: ['nat', 'transparent', 'overlay', 'l2bridge', 'l2tunnel'],
  cmdlets: [
    'Get-NetNat', 'New-NetNat', 'Get-NetNatStaticMapping', 'Get-VMSwitchTeam', 'Get-VMSwitch', 'New-VMSwitch', 'Remove-VMSwitch',
    'Get-VMSwitchExtension', 'Get-NetAdapter', 'Get-NetCompartment', 'Get-HnsNetwork', 'Get-HnsEndpoint', 'Get-ContainerNetwork', 'Set-Content', 'Get-Content', 'Remove-ContainerNetwork',
    'Get-Service', 'gsv', 'Restart-Service', 'Stop-Service', 'spsv', 'Start-Service', 'sasv', 'Remove-NetNat', 'Remove-HnsNetwork', 'Restart-Computer', 'Get-VMNetworkAdapter', 'Set-VMNetworkAdapter',
    'New-NetFirewallRule', 'Remove-NetFirewallRule', 'Get-NetFirewallRule', 'Test-NetConnection', 'tnc', 'Get-NetIPAddress', 'Get-NetIPInterface',
    'Get-NetRoute', 'Get-NetNeighbor', 'Get-NetTCPConnection', 'Get-DnsClientServerAddress', 'Get-NetIPConfiguration', 'gip', 'Resolve-DnsName', 'Invoke-WebRequest', 'iwr', 'ConvertTo-Json', 'Format-List', 'fl',
    'Format-Table', 'ft', 'Select-Object', 'select', 'Where-Object', 'where', '?', 'Sort-Object', 'sort',
  ],
} as const;
