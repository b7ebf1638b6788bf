"""The fictional demo data set, loaded through PoolApplication's public commands only."""
