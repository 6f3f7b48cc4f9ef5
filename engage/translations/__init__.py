"""The interface catalogues (zh_Hans/LC_MESSAGES/messages.po), the glossary and the catalogue checks."""
