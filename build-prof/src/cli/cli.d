build-prof/src/cli/cli.o: src/cli/cli.c src/cli/cli.h src/core/config.h \
 src/core/error.h src/warehouse/warehouse.h src/core/seal.h \
 src/store/store.h src/core/log.h
src/cli/cli.h:
src/core/config.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/core/log.h:
