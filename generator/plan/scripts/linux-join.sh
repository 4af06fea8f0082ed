dnf install -y realmd oddjob oddjob-mkhomedir sssd adcli krb5-workstation samba-common-tools
SECRET=$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$JOIN_SECRET_ARN" --query SecretString --output text)
JOIN_USER=$(printf '%s' "$SECRET" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("username") or "Admin")')
JOIN_PASSWORD=$(printf '%s' "$SECRET" | python3 -c 'import json, sys; print(json.load(sys.stdin)["password"])')
if ! realm list | grep -qi "realm-name: $DOMAIN\$"; then
    join_options=(--user="$JOIN_USER")
    if [ -n "$COMPUTERS_OU" ]; then join_options+=(--computer-ou="$COMPUTERS_OU"); fi
    printf '%s' "$JOIN_PASSWORD" | realm join "${join_options[@]}" "$DOMAIN"
fi
# The host's computer account, as the join wrote it into the machine keytab (NAME$@REALM).
COMPUTER=$(klist -k /etc/krb5.keytab | awk '/\$@/ { print $2; exit }' | cut -d@ -f1)
printf '%s' "$JOIN_PASSWORD" | adcli add-member --domain="$DOMAIN" --login-user="$JOIN_USER" --stdin-password "$GROUP" "$COMPUTER" \
    || echo "adcli add-member: $COMPUTER may already be in $GROUP"
unset SECRET JOIN_PASSWORD
