build-prof/src/cli/cmd_gen.o: src/cli/cmd_gen.c src/cli/cli.h \
 src/core/config.h src/core/error.h src/warehouse/warehouse.h \
 src/core/seal.h src/store/store.h src/gen/gen.h
src/cli/cli.h:
src/core/config.h:
src/core/error.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/gen/gen.h:
