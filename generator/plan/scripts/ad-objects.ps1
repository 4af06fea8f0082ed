# Active Directory objects of a gMSA deployment. Every function reads before it writes, so running
# it again changes nothing; $Ad holds -Server (and -Credential) for every cmdlet.

function ConvertTo-FilterLiteral([string] $Value) {
    # A value inside a single-quoted -Filter string.
    $Value.Replace("'", "''")
}

function Set-HostGroup([string] $Name, [string] $Path) {
    # The group allowed to retrieve the gMSA passwords; every container host joins it.
    $group = Get-ADGroup @Ad -Filter "Name -eq '$(ConvertTo-FilterLiteral $Name)'"
    if (-not $group) {
        $group = New-ADGroup @Ad -Name $Name -SamAccountName $Name -GroupScope Global -GroupCategory Security `
            -Path $Path -Description 'ECS container hosts that may retrieve the gMSA passwords (gen)' -PassThru
    }
    $group
}

function Set-JoinAccount($Secret, [string] $Path) {
    # The account the hosts join with: it may only create computers and change the host group's
    # members (Grant-JoinRights), never administer the domain. Its password is the secret's.
    $name = $Secret.username
    $password = ConvertTo-SecureString -String $Secret.password -AsPlainText -Force
    $user = Get-ADUser @Ad -Filter "SamAccountName -eq '$(ConvertTo-FilterLiteral $name)'"
    if ($user) {
        Set-ADAccountPassword @Ad -Identity $user -Reset -NewPassword $password
        Enable-ADAccount @Ad -Identity $user
    } else {
        $user = New-ADUser @Ad -Name $name -SamAccountName $name -Path $Path -AccountPassword $password -Enabled $true `
            -PasswordNeverExpires $true -CannotChangePassword $true `
            -Description 'Joins ECS container hosts to the domain and to their gMSA group (gen)' -PassThru
    }
    $user
}

function Grant-JoinRights($Account, [string] $ComputersOu, $Group) {
    # What joining a computer needs on the OU it lands in (Microsoft, "Active Directory domain join
    # permissions": create computer objects, and on them reset and change the password, validated
    # writes to the DNS host name and service principal names, account restrictions, read), and
    # writing the member attribute of the host group (to add the host to it).
    if (-not (Get-PSDrive -Name GenAD -ErrorAction SilentlyContinue)) {
        New-PSDrive @Ad -Name GenAD -PSProvider ActiveDirectory -Root '//RootDSE/' | Out-Null
    }
    $sid = $Account.SID
    $computer = [guid]'bf967a86-0de6-11d0-a285-00aa003049e2'
    $below = [System.DirectoryServices.ActiveDirectorySecurityInheritance]::Descendents
    $here = [System.DirectoryServices.ActiveDirectorySecurityInheritance]::All
    $rules = @(
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'CreateChild, DeleteChild', 'Allow', $computer, $here)
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'ReadProperty', 'Allow', $below, $computer)
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'ExtendedRight', 'Allow',
            [guid]'00299570-246d-11d0-a768-00aa006e0529', $below, $computer)  # Reset Password
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'ExtendedRight', 'Allow',
            [guid]'ab721a53-1e2f-11d0-9819-00aa0040529b', $below, $computer)  # Change Password
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'Self', 'Allow',
            [guid]'72e39547-7b18-11d1-adef-00c04fd8d5cd', $below, $computer)  # Validated write to DNS host name
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'Self', 'Allow',
            [guid]'f3a64788-5306-11d1-a9c5-0000f80367c1', $below, $computer)  # Validated write to service principal name
        [System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'WriteProperty', 'Allow',
            [guid]'4c164200-20c0-11d0-a768-00aa006e0529', $below, $computer)  # Account restrictions
    )
    $acl = Get-Acl -Path "GenAD:\$ComputersOu"
    foreach ($rule in $rules) { $acl.AddAccessRule($rule) }
    Set-Acl -Path "GenAD:\$ComputersOu" -AclObject $acl
    $acl = Get-Acl -Path "GenAD:\$($Group.DistinguishedName)"
    $acl.AddAccessRule([System.DirectoryServices.ActiveDirectoryAccessRule]::new($sid, 'WriteProperty', 'Allow',
        [guid]'bf9679c0-0de6-11d0-a285-00aa003049e2'))  # the member attribute
    Set-Acl -Path "GenAD:\$($Group.DistinguishedName)" -AclObject $acl
}

function Set-Gmsa([string] $Name, $Group) {
    # A gMSA whose password the host group may retrieve.
    $account = Get-ADServiceAccount @Ad -Filter "Name -eq '$(ConvertTo-FilterLiteral $Name)'"
    if ($account) {
        Set-ADServiceAccount @Ad -Identity $account -PrincipalsAllowedToRetrieveManagedPassword $Group
    } else {
        New-ADServiceAccount @Ad -Name $Name -DNSHostName "$Name.$DomainName" `
            -PrincipalsAllowedToRetrieveManagedPassword $Group | Out-Null
    }
}

function Add-GroupMember($Group, $Member) {
    # Adds $Member to $Group unless it is a member already.
    $members = @(Get-ADGroupMember @Ad -Identity $Group | ForEach-Object { $_.SID.Value })
    if ($members -notcontains $Member.SID.Value) {
        Add-ADGroupMember @Ad -Identity $Group -Members $Member
    }
}
