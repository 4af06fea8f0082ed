# Joins this host to the domain and to the gMSA group, writes the credential specs the hosts own,
# then starts the ECS agent: the agent checks domain membership only when it starts, so it starts
# last. SSM runs this again after each reboot it asks for (exit 3010) and every 30 minutes; every
# step reads before it writes, and a host that finished this revision only checks its agent.
$ErrorActionPreference = 'Stop'
$DomainName = '{{ directoryName }}'
$NetBiosName = '{{ netbiosName }}'
$ForestName = '{{ forestName }}'
$DnsIps = '{{ dnsIpAddresses }}' -split ','
$GmsaGroup = '{{ gmsaGroup }}'
$JoinSecretArn = '{{ joinSecretArn }}'
$ComputersOu = '{{ computersOu }}'
$ClusterName = '{{ clusterName }}'
$Region = '{{ region }}'
$Revision = '{{ revision }}'
$State = 'HKLM:\SOFTWARE\gen\HostBootstrap'

# @FUNCTIONS@

# 0. This revision finished here before: only keep the agent running (no secret is read).
$applied = "$Revision|$DomainName|$($DnsIps -join ',')|$GmsaGroup|$JoinSecretArn|$ClusterName"
if ((Get-ItemProperty -Path $State -Name Applied -ErrorAction SilentlyContinue).Applied -eq $applied) {
    if ((Get-Service -Name AmazonECS).Status -ne 'Running') { Start-Service -Name AmazonECS }
    exit 0
}

# 1. Resolve the domain's names through its DNS servers, every other name through the VPC's.
$namespaces = @($DomainName, $ForestName) | Where-Object { $_ } | Select-Object -Unique | ForEach-Object { ".$_"; $_ }
Set-DomainNameResolution -Namespaces $namespaces -Servers $DnsIps

# 2. Join the domain, once its domain controllers answer. The membership counts after a reboot.
$computer = Get-CimInstance -ClassName Win32_ComputerSystem
if (-not $computer.PartOfDomain -or $computer.Domain -ne $DomainName) {
    Wait-Until { Resolve-DnsName -Name "_ldap._tcp.dc._msdcs.$DomainName" -Type SRV } "the domain controllers of $DomainName" | Out-Null
    $join = @{ DomainName = $DomainName; Credential = (Get-SecretCredential $JoinSecretArn 'Admin'); Force = $true }
    if ($ComputersOu) { $join.OUPath = $ComputersOu }
    Add-Computer @join
    exit 3010
}

# 3. Join the group allowed to retrieve the gMSA passwords, once it exists.
Install-ActiveDirectoryModule
$credential = Get-SecretCredential $JoinSecretArn 'Admin'
$Ad = @{ Server = $DomainName; Credential = $credential }
$group = Wait-Until { Get-ADGroup @Ad -Identity $GmsaGroup } "the group $GmsaGroup"
$self = Get-ADComputer @Ad -Identity $env:COMPUTERNAME -Properties MemberOf
if ($self.MemberOf -notcontains $group.DistinguishedName) {
    Add-ADGroupMember @Ad -Identity $group -Members $self
    # Renew the machine's Kerberos tickets so the new membership applies without another reboot.
    klist.exe -li 0x3e7 purge | Out-Null
}

# 4. Credential specs the hosts write.
# @CREDENTIAL_SPECS@

# 5. Start the ECS agent, now that the host is joined and in the group.
# @AGENT@

New-Item -Path $State -Force | Out-Null
Set-ItemProperty -Path $State -Name Applied -Value $applied
