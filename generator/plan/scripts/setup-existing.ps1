<#
What:    creates the group of the ECS container hosts ($GmsaGroup below) and each gMSA under
         "gMSAs" below (their passwords retrievable by that group), and lets the account in
         hosts.join_secret join computers to the domain's computers container and add them to
         the group. It changes nothing that is already as it should be.
Where:   a domain-joined Windows machine with the Active Directory module for PowerShell (RSAT).
As whom: a Domain Admin, or an account that may create groups and gMSAs and change permissions on
         the computers container and the group.
Run:     .\setup.ps1 -JoinAccount <the username in hosts.join_secret>, once, before the hosts start.
#>
param(
    # The account of hosts.join_secret (its sAMAccountName): it gets the rights to join computers
    # to the domain's computers container and to change the members of the hosts' group.
    [Parameter(Mandatory = $true)] [string] $JoinAccount,
    # Where to create the hosts' group if it does not exist; default: the domain's Users container.
    [string] $GroupPath = ''
)
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
$account = Get-ADUser @Ad -Identity $JoinAccount
Grant-JoinRights -Account $account -ComputersOu $domainInfo.ComputersContainer -Group $group

# gMSAs
# @ACCOUNTS@

Write-Output "Done. The domain's SID is $($domainInfo.DomainSID.Value) and its GUID $($domainInfo.ObjectGUID)."
Write-Output 'Add them to the blueprint as directory.sid and directory.guid, or let the hosts write the specs.'
