<#
What:    creates the group allowed to retrieve the gMSA passwords ($GmsaGroup below) and each
         gMSA under "gMSAs" below, and then either lets the account in hosts.join_secret join
         computers to the domain's computers container and add them to the group
         (domain-joined), or adds the domainless user of credential_specs.domainless_secret to
         the group (domainless). It changes nothing that is already as it should be.
Where:   a domain-joined Windows machine with the Active Directory module for PowerShell (RSAT).
As whom: a Domain Admin, or an account that may create groups and gMSAs and change permissions on
         the computers container and the group.
Run:     the command under "Run" in the parameters below, once, before the services start.
#>
# @PARAMS@
$ErrorActionPreference = 'Stop'
# @DOMAIN@

# @FUNCTIONS@

Import-Module ActiveDirectory
$Ad = @{ Server = $DomainName }
$domainInfo = Get-ADDomain @Ad
if (-not (Get-KdsRootKey)) {
    throw ('the domain has no KDS root key, which gMSAs need: as a Domain Admin run ' +
        'Add-KdsRootKey -EffectiveImmediately, wait until it has replicated (up to 10 hours), then run this again')
}
if (-not $GroupPath) { $GroupPath = $domainInfo.UsersContainer }
$group = Set-HostGroup -Name $GmsaGroup -Path $GroupPath
# @PRINCIPALS@

# gMSAs
# @ACCOUNTS@

Write-Output "Done. The domain's SID is $($domainInfo.DomainSID.Value) and its GUID $($domainInfo.ObjectGUID)."
Write-Output 'Add them to the blueprint as directory.sid and directory.guid, or let the hosts write the specs.'
