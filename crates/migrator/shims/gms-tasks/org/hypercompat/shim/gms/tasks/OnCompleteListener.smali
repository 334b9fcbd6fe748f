.class public interface abstract Lorg/hypercompat/shim/gms/tasks/OnCompleteListener;
.super Ljava/lang/Object;
.source "OnCompleteListener.smali"

# Portable stand-in for com.google.android.gms.tasks.OnCompleteListener.

.method public abstract onComplete(Lorg/hypercompat/shim/gms/tasks/Task;)V
.end method
