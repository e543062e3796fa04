# search: every record of one operation, by correlation id, from both sample shapes, by time.
"$AZD" search samples/ --where correlation_id=90C192CF-D3AC-94AF-0F21-DDB66CAD4A26 --format table
