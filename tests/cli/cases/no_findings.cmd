# A file without suspicious operations exits 0.
printf '%s\n' '{"time":"2024-05-14T08:02:11Z","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION","category":"Administrative","resultType":"Success","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1"}' | "$AZD" scan - --format table
