build-prof/src/analytics/clv.o: src/analytics/clv.c src/analytics/clv.h \
 src/core/error.h
src/analytics/clv.h:
src/core/error.h:
