build-prof/src/security/security.o: src/security/security.c \
 src/security/security.h src/core/error.h src/store/store.h \
 src/core/rtime.h src/core/utf8.h
src/security/security.h:
src/core/error.h:
src/store/store.h:
src/core/rtime.h:
src/core/utf8.h:
