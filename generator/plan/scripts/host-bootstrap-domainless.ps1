# Prepares this host for domainless gMSA, writes the credential specs the hosts own, then starts
# the ECS agent with ECS_GMSA_SUPPORTED set: the host joins no domain; for each task the AWS CCG
# plugin retrieves the gMSA password with the domainless user's credentials. SSM runs this every
# 30 minutes; every step reads before it writes, and a host that finished this revision only
# checks its agent.
$ErrorActionPreference = 'Stop'
$DomainName = '{{ directoryName }}'
$NetBiosName = '{{ netbiosName }}'
$ForestName = '{{ forestName }}'
$DnsIps = '{{ dnsIpAddresses }}' -split ','
$ClusterName = '{{ clusterName }}'
$Region = '{{ region }}'
$Revision = '{{ revision }}'
$State = 'HKLM:\SOFTWARE\gen\HostBootstrap'

# @FUNCTIONS@

# 0. This revision finished here before: only keep the agent running.
$applied = "$Revision|$DomainName|$($DnsIps -join ',')|$ClusterName"
if ((Get-ItemProperty -Path $State -Name Applied -ErrorAction SilentlyContinue).Applied -eq $applied) {
    if ((Get-Service -Name AmazonECS).Status -ne 'Running') { Start-Service -Name AmazonECS }
    exit 0
}

# 1. Resolve the domain's names through its DNS servers, every other name through the VPC's: the
#    plugin reaches the domain controllers for every task.
$namespaces = @($DomainName, $ForestName) | Where-Object { $_ } | Select-Object -Unique | ForEach-Object { ".$_"; $_ }
Set-DomainNameResolution -Namespaces $namespaces -Servers $DnsIps

# 2. The agent offers domainless gMSA only if the AWS CCG plugin is registered (amazon-ecs-agent,
#    parse_windows.go, isDomainlessGmsaPluginInstalled); ECS-optimized Windows AMIs ship it.
# @PLUGIN@

# 3. Credential specs the hosts write.
# @CREDENTIAL_SPECS@

# 4. Start the ECS agent, with ECS_GMSA_SUPPORTED set before it starts.
# @AGENT@

New-Item -Path $State -Force | Out-Null
Set-ItemProperty -Path $State -Name Applied -Value $applied
