"$AZD" --version
