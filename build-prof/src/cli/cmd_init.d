build-prof/src/cli/cmd_init.o: src/cli/cmd_init.c src/cli/cli.h \
 src/core/config.h src/core/error.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h
src/cli/cli.h:
src/core/config.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
