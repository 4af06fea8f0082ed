function Wait-Until([scriptblock] $Condition, [string] $What, [int] $Minutes = 30) {
    # Retries $Condition until it returns something, for up to $Minutes: what this step needs may
    # still be on its way (a directory being created, the setup still creating the group).
    $deadline = (Get-Date).AddMinutes($Minutes)
    $lastError = 'no answer'
    while ($true) {
        try {
            $result = & $Condition
            if ($result) { return $result }
        } catch {
            $lastError = $_.Exception.Message
        }
        if ((Get-Date) -gt $deadline) { throw "gave up after $Minutes minutes waiting for ${What}: $lastError" }
        Start-Sleep -Seconds 20
    }
}

function Get-Secret([string] $SecretArn) {
    # Read at run time from Secrets Manager: a password is never in launch data or output.
    (Get-SECSecretValue -SecretId $SecretArn -Region $Region).SecretString | ConvertFrom-Json
}

function Get-SecretCredential([string] $SecretArn, [string] $DefaultUser) {
    $secret = Get-Secret $SecretArn
    $user = if ($secret.username) { $secret.username } else { $DefaultUser }
    if ($user -notmatch '[\\@]') { $user = "$NetBiosName\$user" }
    $password = ConvertTo-SecureString -String $secret.password -AsPlainText -Force
    New-Object System.Management.Automation.PSCredential($user, $password)
}

function Set-DomainNameResolution([string[]] $Namespaces, [string[]] $Servers) {
    # Names in the domain go to its DNS servers; every other name still goes to the VPC's resolver,
    # so AWS endpoints (and interface endpoints with private DNS) keep resolving. Windows asks the
    # next DNS server of an adapter only when one does not answer, never when it says a name does
    # not exist, so the domain's servers cannot simply be added to the adapter: a Name Resolution
    # Policy Table rule per namespace sends just the domain's names to them.
    foreach ($namespace in $Namespaces) {
        $rule = Get-DnsClientNrptRule | Where-Object { $_.Namespace -contains $namespace }
        if ($rule -and -not (Compare-Object @($rule.NameServers) $Servers)) { continue }
        if ($rule) { $rule | Remove-DnsClientNrptRule -Force }
        Add-DnsClientNrptRule -Namespace $namespace -NameServers $Servers | Out-Null
    }
    Clear-DnsClientCache
}

function Install-ActiveDirectoryModule {
    if (-not (Get-WindowsFeature -Name RSAT-AD-PowerShell).Installed) {
        Install-WindowsFeature -Name RSAT-AD-PowerShell | Out-Null
    }
    Import-Module ActiveDirectory
}

function Write-SsmSpec([string] $Name, [string] $Spec) {
    # Writes the parameter only when its text differs: no new parameter version on every run.
    $current = try { (Get-SSMParameter -Name $Name -Region $Region).Value } catch { $null }
    if ($current -cne $Spec) {
        Write-SSMParameter -Name $Name -Value $Spec -Type String -Overwrite $true -Region $Region | Out-Null
    }
}

function Write-S3Spec([string] $Bucket, [string] $Key, [string] $Spec, [hashtable] $Encryption) {
    # Writes the object only when its text differs.
    $file = [System.IO.Path]::GetTempFileName()
    try {
        $current = try {
            Read-S3Object -BucketName $Bucket -Key $Key -File $file -Region $Region | Out-Null
            [System.IO.File]::ReadAllText($file)
        } catch { $null }
        if ($current -cne $Spec) {
            Write-S3Object -BucketName $Bucket -Key $Key -Content $Spec -ContentType 'application/json' -Region $Region @Encryption
        }
    } finally {
        Remove-Item -Path $file -Force -ErrorAction SilentlyContinue
    }
}

function Write-FileSpec([string] $Path, [string] $Spec) {
    $folder = Split-Path -Path $Path -Parent
    if (-not (Test-Path -Path $folder)) { New-Item -ItemType Directory -Force -Path $folder | Out-Null }
    if (-not (Test-Path -Path $Path) -or [System.IO.File]::ReadAllText($Path) -cne $Spec) {
        [System.IO.File]::WriteAllText($Path, $Spec)
    }
}
