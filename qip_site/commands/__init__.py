"""The commands editors run: the CLI (cli), formatting (fmt), new plan skeletons (scaffold), synthetic plans (demo) and the field reference (fieldref). The Word importer is qip_site.importer."""
