# Joins this host to the domain and to the gMSA group, writes its credential specs, then starts
# the ECS agent: the agent checks domain membership only when it starts, so it must start last.
# SSM runs this again after each reboot it asks for (exit 3010), so every step is idempotent.
$ErrorActionPreference = 'Stop'
$DomainName = '{{ directoryName }}'
$NetBiosName = '{{ netbiosName }}'
$DnsIps = '{{ dnsIpAddresses }}' -split ','
$GmsaGroup = '{{ gmsaGroup }}'
$JoinSecretArn = '{{ joinSecretArn }}'
$ClusterName = '{{ clusterName }}'
$Region = '{{ region }}'

function Get-JoinCredential {
    # Read at run time from Secrets Manager: the password is never in launch data or output.
    $secret = (Get-SECSecretValue -SecretId $JoinSecretArn -Region $Region).SecretString | ConvertFrom-Json
    $user = if ($secret.username) { $secret.username } else { 'Admin' }
    if ($user -notmatch '[\\@]') { $user = "$NetBiosName\$user" }
    $password = ConvertTo-SecureString -String $secret.password -AsPlainText -Force
    New-Object System.Management.Automation.PSCredential($user, $password)
}

# 1. Join the domain. The membership counts only after a reboot.
$computer = Get-CimInstance -ClassName Win32_ComputerSystem
if (-not $computer.PartOfDomain -or $computer.Domain -ne $DomainName) {
    Get-NetAdapter | Where-Object Status -eq 'Up' | Set-DnsClientServerAddress -ServerAddresses $DnsIps
    Add-Computer -DomainName $DomainName -Credential (Get-JoinCredential) -Force
    exit 3010
}

# 2. Join the group allowed to retrieve the gMSA passwords.
if (-not (Get-WindowsFeature -Name RSAT-AD-PowerShell).Installed) {
    Install-WindowsFeature -Name RSAT-AD-PowerShell | Out-Null
}
Import-Module ActiveDirectory
$credential = Get-JoinCredential
$group = Get-ADGroup -Identity $GmsaGroup -Server $DomainName -Credential $credential
$self = Get-ADComputer -Identity $env:COMPUTERNAME -Properties MemberOf -Server $DomainName -Credential $credential
$changed = $false
if ($self.MemberOf -notcontains $group.DistinguishedName) {
    Add-ADGroupMember -Identity $group -Members $self -Server $DomainName -Credential $credential
    # Renew the machine's Kerberos tickets so the new membership applies without another reboot.
    klist.exe -li 0x3e7 purge | Out-Null
    $changed = $true
}

# 3. Credential specs.
# @CREDENTIAL_SPECS@

# 4. Start the ECS agent, now that the host is joined and in the group.
if ([Environment]::GetEnvironmentVariable('ECS_CLUSTER', 'Machine') -ne $ClusterName) {
    Import-Module ECSTools
    Initialize-ECSAgent -Cluster $ClusterName -EnableTaskIAMRole
} elseif ($changed) {
    Restart-Service -Name AmazonECS
} else {
    Start-Service -Name AmazonECS
}
