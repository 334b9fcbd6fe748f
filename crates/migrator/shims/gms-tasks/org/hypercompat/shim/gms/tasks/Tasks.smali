.class public final Lorg/hypercompat/shim/gms/tasks/Tasks;
.super Ljava/lang/Object;
.source "Tasks.smali"

# Portable stand-in for com.google.android.gms.tasks.Tasks: completed tasks.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 3
    new-instance v0, Lorg/hypercompat/shim/gms/tasks/Task;
    invoke-direct {v0}, Lorg/hypercompat/shim/gms/tasks/Task;-><init>()V
    const/4 v1, 0x0
    invoke-virtual {v0, p0, v1}, Lorg/hypercompat/shim/gms/tasks/Task;->setResult(Ljava/lang/Object;Ljava/lang/Exception;)V
    return-object v0
.end method

.method public static forException(Ljava/lang/Exception;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 3
    new-instance v0, Lorg/hypercompat/shim/gms/tasks/Task;
    invoke-direct {v0}, Lorg/hypercompat/shim/gms/tasks/Task;-><init>()V
    const/4 v1, 0x0
    invoke-virtual {v0, v1, p0}, Lorg/hypercompat/shim/gms/tasks/Task;->setResult(Ljava/lang/Object;Ljava/lang/Exception;)V
    return-object v0
.end method
