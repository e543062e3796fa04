# requires: shared
# The 4 negative controls (other Azure logs in Activity Log envelopes): no events, no findings,
# exit 0, and a -v line on stderr that says what each file is.
d=../shared/data/activity-logs
for f in keyvault-pt1h-galawin59/PT1H.json nsg-flow-pt1h-devreops/PT1H.json wazuh-azure-wodle/storage_events_json wazuh-azure-wodle/graph_events; do
  "$AZD" scan "$d/$f" -v --format json 2>"${TMPDIR:-/tmp}/azd_neg_$$" | jq -c '[.summary.events, (.findings | length), .inputs[0].activity_log]'
  echo "exit $?"
  sed "s|$d/||" "${TMPDIR:-/tmp}/azd_neg_$$"
done
rm -f "${TMPDIR:-/tmp}/azd_neg_$$"
