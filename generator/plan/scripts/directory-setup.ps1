# The directory setup of a new AWS Managed Microsoft AD, run once on an instance of its own with
# the directory's Admin credential: the group allowed to retrieve the gMSA passwords, the gMSAs,
# and either a join account that may only join computers and manage the group's members (the
# hosts never hold the Admin credential), or the domainless user, a member of the group.
# Every step reads before it writes. At the end the instance stops itself; the stack starts it
# again when the setup changes.
$ErrorActionPreference = 'Stop'
$DomainName = '{{ directoryName }}'
$NetBiosName = '{{ netbiosName }}'
$DnsIps = '{{ dnsIpAddresses }}' -split ','
$AdminSecretArn = '{{ adminSecretArn }}'
$PrincipalSecretArn = '{{ principalSecretArn }}'
$GmsaGroup = '{{ gmsaGroup }}'
$Region = '{{ region }}'

# @FUNCTIONS@

$namespaces = @($DomainName) | ForEach-Object { ".$_"; $_ }
Set-DomainNameResolution -Namespaces $namespaces -Servers $DnsIps
Install-ActiveDirectoryModule
$admin = Get-SecretCredential $AdminSecretArn 'Admin'
$Ad = @{ Server = $DomainName; Credential = $admin }
$domainInfo = Wait-Until { Get-ADDomain @Ad } "Active Directory Web Services of $DomainName"

# AWS Managed Microsoft AD: the Admin may write only in the OU named after the NetBIOS name.
$base = "OU=$NetBiosName,$($domainInfo.DistinguishedName)"
$group = Set-HostGroup -Name $GmsaGroup -Path "OU=Users,$base"
# @PRINCIPALS@

# gMSAs
# @ACCOUNTS@

# Credential specs of the new domain.
# @CREDENTIAL_SPECS@

# Done: stop this instance in five minutes, once SSM has recorded the success.
shutdown.exe /s /t 300 /c 'gen: directory setup finished' | Out-Null
