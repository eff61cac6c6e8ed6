"""Analysis of returns for the views: filters, search, tables and change between rounds."""
