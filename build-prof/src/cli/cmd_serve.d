build-prof/src/cli/cmd_serve.o: src/cli/cmd_serve.c src/api/api.h \
 src/core/error.h src/cli/cli.h src/core/config.h \
 src/warehouse/warehouse.h src/core/seal.h src/store/store.h \
 src/cli/table.h src/core/vec.h src/security/journal.h \
 src/security/security.h
src/api/api.h:
src/core/error.h:
src/cli/cli.h:
src/core/config.h:
src/warehouse/warehouse.h:
src/core/seal.h:
src/store/store.h:
src/cli/table.h:
src/core/vec.h:
src/security/journal.h:
src/security/security.h:
